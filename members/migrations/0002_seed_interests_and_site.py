from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify

# A starting list for librarians; organisers curate it in the admin.
INTERESTS = [
    "Systematic searching", "Literature search strategies", "Evidence synthesis",
    "Open access", "Research data management", "Copyright and licensing",
    "Information literacy teaching", "Digital literacy", "Cataloguing and metadata",
    "Library management systems", "Collection development", "E-resources",
    "Reading for pleasure", "Children's and young people's services", "Outreach and engagement",
    "Marketing and advocacy", "Knowledge management", "Clinical librarianship",
    "Health literacy", "Legal research", "Archives and special collections",
    "Digital preservation", "User experience (UX)", "Accessibility",
    "Equality, diversity and inclusion", "Decolonising collections", "Leadership and management",
    "Career development and Chartership", "Working as a solo librarian", "Wellbeing at work",
    "AI and machine learning", "Data and bibliometrics", "Research support",
    "Space and building design", "Community and public health", "Sustainability",
]


def seed(apps, schema_editor):
    Interest = apps.get_model("members", "Interest")
    for name in INTERESTS:
        Interest.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(pk=settings.SITE_ID,
                                  defaults={"domain": domain, "name": settings.SITE_NAME})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
