"""Cross-site request forgery protection for the JSON API when a browser session signs the call."""

from ninja.utils import check_csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ApiSessionCsrfMiddleware:
    """Refuse /api/v1/ writes carried by a session cookie without the CSRF token.

    django-ninja marks its views CSRF-exempt, and only routers using ninja's session auth
    check the token. A person signed in through the browser could otherwise be made to
    write through any other router from a hostile page. Calls signed with a personal API
    token (Authorization: Bearer) carry no ambient credential and are not checked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in SAFE_METHODS
            or not request.path.startswith("/api/v1/")
            or getattr(request, "api_token", None) is not None
            or not getattr(request, "user", None)
            or not request.user.is_authenticated
        ):
            return None
        return check_csrf(request)
