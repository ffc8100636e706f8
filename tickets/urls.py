from rest_framework.routers import SimpleRouter

from tickets import views

router = SimpleRouter(trailing_slash=False)
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("admissions", views.AdmissionViewSet, basename="admission")

urlpatterns = router.urls
