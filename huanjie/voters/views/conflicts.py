"""conflicts"""

urlpatterns: list = []
