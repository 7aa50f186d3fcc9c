from django.contrib.auth.views import redirect_to_login

# Paths anyone may open: the login page, static files, the API (which answers 401
# itself), and the public notices.
OPEN_PREFIXES = ("/login/", "/static/", "/api/", "/public/", "/i18n/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
