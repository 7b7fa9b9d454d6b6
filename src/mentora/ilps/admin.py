from django.contrib import admin

from .models import Goal, LearningPlan, SignOff


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ["statement", "target_date", "domain", "status", "percent_done", "version"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(LearningPlan)
class LearningPlanAdmin(admin.ModelAdmin):
    list_display = ["mentee", "academic_year", "program", "status", "approved_at", "last_reviewed_on"]
    list_filter = ["status", "academic_year"]
    raw_id_fields = ["mentee", "program", "approved_by"]
    search_fields = ["mentee__email", "mentee__full_name"]
    inlines = [GoalInline]


@admin.register(SignOff)
class SignOffAdmin(admin.ModelAdmin):
    list_display = ["plan", "mentor", "signed_at", "reopened_at"]
    raw_id_fields = ["plan", "mentee", "mentor", "reopened_by"]
