from django.contrib import admin

from townsquare.sites.models import Site, SiteRole


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SiteRole)
class SiteRoleAdmin(admin.ModelAdmin[SiteRole]):
    list_display = ("site", "user", "role")
    list_filter = ("role", "site")
