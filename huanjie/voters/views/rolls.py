"""rolls"""

urlpatterns: list = []
