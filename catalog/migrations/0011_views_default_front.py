"""Every version that has preview layers gets a "front" view ("Mặt trước") holding them."""

from django.db import migrations


def forward(apps, schema_editor):
    Layer = apps.get_model("catalog", "PreviewLayer")
    View = apps.get_model("catalog", "ProductView")
    versions = (
        Layer.objects.filter(view__isnull=True).values_list("version_id", flat=True).distinct()
    )
    for version_id in sorted(set(versions)):
        view = View.objects.filter(version_id=version_id).order_by("position", "id").first()
        if view is None:
            view = View.objects.create(
                version_id=version_id, code="front", name_vi="Mặt trước", name_en="Front"
            )
        Layer.objects.filter(version_id=version_id, view__isnull=True).update(view=view)


def backward(apps, schema_editor):
    apps.get_model("catalog", "ProductView").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_views")]

    operations = [migrations.RunPython(forward, backward)]
