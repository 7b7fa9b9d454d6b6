"""Webhook signing secrets are encrypted at rest (webhooks/crypto.py): the column becomes a Fernet token."""

from django.db import migrations

import mentora.webhooks.crypto


def encrypt_stored_secrets(apps, schema_editor):
    Subscription = apps.get_model("webhooks", "Subscription")
    for subscription in Subscription.objects.all().iterator():
        subscription.save(update_fields=["secret"])  # read as it is (whsec_…), written encrypted


def decrypt_stored_secrets(apps, schema_editor):
    Subscription = apps.get_model("webhooks", "Subscription")
    table = schema_editor.quote_name(Subscription._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        for pk, plain in [(s.pk, s.secret) for s in Subscription.objects.all()]:
            cursor.execute(f"UPDATE {table} SET secret = %s WHERE id = %s", [plain, pk])


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_subscriptions_events_deliveries")]

    operations = [
        migrations.AlterField(
            model_name="subscription", name="secret", field=mentora.webhooks.crypto.EncryptedSecretField(),
        ),
        migrations.RunPython(encrypt_stored_secrets, decrypt_stored_secrets),
    ]
