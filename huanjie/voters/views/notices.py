"""notices"""

urlpatterns: list = []
