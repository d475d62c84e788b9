import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# core.worker.Task: DjangoTask (delay_on_commit) that retries on database connection errors.
# Because DJANGO_SETTINGS_MODULE is set before the app is made, Celery installs its Django
# fix-up, which closes the worker's database connections before and after each task.
app = Celery("config", task_cls="core.worker:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
