"""Carried-over action items made before texts were held in both languages read "Suivi : <English text>" in
French: their French title and summary were the English text. They become empty, so that French readers see the
English version marked "(en anglais)" until someone writes the French one."""

from django.db import migrations


def forget_english_in_french(apps, schema_editor):
    AgendaItem = apps.get_model("cbcf", "AgendaItem")
    for item in AgendaItem.objects.filter(title_en__startswith="Follow-up: ", title_fr__startswith="Suivi : "):
        text = item.title_en.removeprefix("Follow-up: ")
        if item.title_fr.removeprefix("Suivi : ") == text and item.summary_fr == item.summary_en:
            item.title_fr, item.summary_fr = "", ""
            item.save(update_fields=["title_fr", "summary_fr"])


class Migration(migrations.Migration):

    dependencies = [
        ("cbcf", "0007_bilingual_texts_briefing_notes_marking"),
    ]

    operations = [
        migrations.RunPython(forget_english_in_french, migrations.RunPython.noop),
    ]
