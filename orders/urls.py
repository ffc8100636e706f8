from rest_framework.routers import SimpleRouter

from orders import views

router = SimpleRouter(trailing_slash=False)
router.register("orders", views.OrderViewSet, basename="order")

urlpatterns = router.urls
