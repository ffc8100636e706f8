from rest_framework.routers import SimpleRouter

from delivery import views

router = SimpleRouter(trailing_slash=False)
router.register("addresses", views.AddressViewSet, basename="address")
urlpatterns = router.urls
