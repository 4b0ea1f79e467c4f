from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development tools: the national data generator (seed_scale), the digest benchmark
    (bench_digest) and the bare baseline view. Installed only with DEV_TOOLS on."""

    name = "bench"
    verbose_name = "Benchmarks and generators"
    default_auto_field = "django.db.models.BigAutoField"
