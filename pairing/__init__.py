"""Pairing: programmes and memberships, the programme kinds (`kinds/`), the matching
engine (`matching/`, no Django), rounds (`rounds/`), introductions and notices
(`emails/`), the outbox every app sends through (`outbox/`), and the member, link and
organiser pages (`views/`)."""
