from django.contrib import admin

from .models import Institution, Membership, Network, Program


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    filter_horizontal = ["coordinators"]
    raw_id_fields = ["mentors"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "state", "country"]
    search_fields = ["name", "city"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "specialty", "review_frequency"]
    list_filter = ["specialty", "review_frequency"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "academic_year", "role", "training_level", "is_active"]
    list_filter = ["role", "academic_year", "training_level"]
    raw_id_fields = ["user", "program"]
    search_fields = ["user__email", "user__full_name"]
