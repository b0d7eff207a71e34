import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("coffee")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The scheduler's tick lives above the apps (config/tasks.py), not in one of them.
app.autodiscover_tasks(["config"])
