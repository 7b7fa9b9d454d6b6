from .sections import console_sections


def console_navigation(request) -> dict:
    """The console's side navigation, for its pages only (every other page skips the work)."""
    match = getattr(request, "resolver_match", None)
    if match is None or "console" not in match.namespaces:
        return {}
    return {"console_nav": console_sections()}
