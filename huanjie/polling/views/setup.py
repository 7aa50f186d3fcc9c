"""setup"""

urlpatterns = []
