"""Pairing's web pages, one module per audience: `programmes` (joining and managing a
membership), `matches` (a member's own matches: block, report a concern), `links`
(signed one-click links from emails, no login) and `organiser` (preview, edit, run and
watch rounds inside the admin)."""
