"""statistics"""

urlpatterns: list = []
