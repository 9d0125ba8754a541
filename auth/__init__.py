"""Operator accounts: users, roles, argon2 passwords, sessions and bearer tokens, CSRF, login lockout.

Guard any route with `Depends(require_role("knowledge_editor", "admin"))` from `auth.deps`: it accepts
`Authorization: Bearer …` (API clients) and the console's session cookie (pages; unsafe methods then
also need the CSRF token in the `X-CSRF-Token` header or a `csrf_token` form field).
"""
