"""objections"""

urlpatterns: list = []
