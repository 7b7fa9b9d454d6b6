from django.contrib import admin

from .models import ImgDetails, MentorOffer, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "specialty", "training_level", "institution"]
    list_filter = ["specialty", "training_level"]
    raw_id_fields = ["user", "institution"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(ImgDetails)
class ImgDetailsAdmin(admin.ModelAdmin):
    list_display = ["user", "medical_school_country", "img_status", "ecfmg_certified"]
    raw_id_fields = ["user"]
    exclude = ["visa_status", "j1_waiver_plan"]  # immigration details stay out of the admin


@admin.register(MentorOffer)
class MentorOfferAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "accepting_new_mentees"]
    raw_id_fields = ["user"]


# SensitiveAttributes is deliberately not registered in the admin.
