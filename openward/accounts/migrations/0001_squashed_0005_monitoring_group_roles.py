"""Squashed: every migration of accounts up to 0005_monitoring_group_roles, for a new database.

A database that has applied any of the migrations this replaces goes on through them instead. The
app's tables are created together in their final form (openward.core.migration_operations,
docs/decisions/0006-squashed-migrations.md); data migrations that only change existing rows are
left out, as a new database has none.
"""

import django.db.models.deletion
import django.utils.timezone
import openward.accounts.models
from django.conf import settings
from django.db import migrations, models
from openward.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    replaces = [
        ('accounts', '0001_initial'),
        ('accounts', '0002_role_grants'),
        ('accounts', '0003_residents'),
        ('accounts', '0004_alter_rolegrant_role'),
        ('accounts', '0005_monitoring_group_roles'),
    ]

    initial = True

    dependencies = [
        ('areas', '0001_squashed_0003_station_hours'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='User',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('password', models.CharField(max_length=128, verbose_name='password')),
                    ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                    ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                    ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                    ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                    ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                    ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                    ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                    ('email', models.EmailField(max_length=254, unique=True, verbose_name='email address')),
                    ('display_name', models.CharField(blank=True, max_length=100)),
                    ('email_key', models.CharField(blank=True, max_length=254, null=True, unique=True)),
                    ('email_confirmed_at', models.DateTimeField(blank=True, null=True)),
                    ('erased_at', models.DateTimeField(blank=True, null=True)),
                    ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                    ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ],
                options={
                    'verbose_name': 'user',
                    'verbose_name_plural': 'users',
                    'abstract': False,
                },
                managers=[
                    ('objects', openward.accounts.models.UserManager()),
                ],
            ),
            migrations.CreateModel(
                name='ApiToken',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=80)),
                    ('prefix', models.CharField(help_text='First characters, so a person can tell tokens apart.', max_length=12)),
                    ('key_hash', models.CharField(max_length=64, unique=True)),
                    ('second_factor', models.BooleanField(default=False)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('last_used_at', models.DateTimeField(blank=True, null=True)),
                    ('revoked_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
                ],
            ),
            migrations.CreateModel(
                name='EmailLink',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('purpose', models.CharField(choices=[('confirm', 'Confirm email address'), ('sign_in', 'Sign in')], max_length=16)),
                    ('secret_hash', models.CharField(max_length=64)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('expires_at', models.DateTimeField()),
                    ('used_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_links', to=settings.AUTH_USER_MODEL)),
                ],
            ),
            migrations.CreateModel(
                name='RoleGrant',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('resident', 'Resident'), ('panel_member', 'Ward panel member'), ('panel_chair', 'Ward panel chair'), ('panel_vice_chair', 'Ward panel vice-chair'), ('officer', 'Neighbourhood officer'), ('pcso', 'Police community support officer'), ('sergeant', 'Neighbourhood sergeant'), ('inspector', 'Neighbourhood inspector'), ('borough_lead', 'Borough lead'), ('analyst', 'Analyst'), ('monitoring_chair', 'Stop-and-search monitoring group chair'), ('monitoring_group', 'Stop-and-search monitoring group reviewer'), ('monitoring_liaison', 'Force liaison to a stop-and-search monitoring group'), ('site_admin', 'Site administrator')], max_length=32)),
                    ('granted_at', models.DateTimeField(auto_now_add=True)),
                    ('expires_at', models.DateTimeField(blank=True, null=True)),
                    ('revoked_at', models.DateTimeField(blank=True, null=True)),
                    ('borough', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.borough')),
                    ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.cluster')),
                    ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_grants', to=settings.AUTH_USER_MODEL)),
                    ('ward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward')),
                ],
            ),
            migrations.CreateModel(
                name='Consent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('purpose', models.CharField(choices=[('notifications', 'Email me notices, bulletins and event invitations for my wards'), ('research', 'Researchers may contact me about taking part in studies')], max_length=32)),
                    ('granted', models.BooleanField(default=False)),
                    ('changed_at', models.DateTimeField(auto_now=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('user', 'purpose'), name='one_consent_per_purpose')],
                },
            ),
        ]),
    ]
