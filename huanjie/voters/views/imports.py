"""imports"""

urlpatterns: list = []
