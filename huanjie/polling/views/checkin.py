"""checkin"""

urlpatterns = []
