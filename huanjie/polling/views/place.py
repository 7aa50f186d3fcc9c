"""place"""

urlpatterns = []
