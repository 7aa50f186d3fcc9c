"""counting"""

urlpatterns = []
