"""Members: the user model (email login), profiles and interests, sign-up with allauth,
the profile wizard, the dashboard, "download my data" and account deletion; the demo
community (`demo.py`)."""
