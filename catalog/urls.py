from rest_framework.routers import SimpleRouter

from catalog import views

router = SimpleRouter(trailing_slash=False)
router.register("categories", views.CategoryViewSet, basename="category")
router.register("products", views.ProductViewSet, basename="product")

urlpatterns = router.urls
