"""API authentication: the browser session (with CSRF on writes)."""

from ninja.security import SessionAuth

session_auth = SessionAuth(csrf=True)
API_AUTH = [session_auth]
