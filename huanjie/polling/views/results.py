"""results"""

urlpatterns = []
