using Faultline.Testing;
using Npgsql;

namespace Faultline.Server.Tests.Database;

/// <summary>The schema after migrations 001–004 is exactly the one in shared/seed/database-schema.md.</summary>
public sealed class SchemaTests(TestPostgres postgres)
{
    [Fact]
    public async Task SeedMigrations_CreateExactlyTheSeedSchema()
    {
        var connectionString = await postgres.CreateDatabaseAsync("seed");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await MigratorTests.ApplyUpToAsync(dataSource, 4);

        var actual = await SchemaSnapshot.ReadAsync(connectionString);
        Assert.Equal(SchemaSnapshot.Format(SeedSchema.Order(StringComparer.Ordinal)), SchemaSnapshot.Format(actual));
    }

    [Fact]
    public async Task AllMigrations_KeepSeedColumnsAndAddTheProductsOwn()
    {
        var actual = await SchemaSnapshot.ReadAsync(postgres.ConnectionString);

        // Every time column is timestamptz, keeping its default.
        Assert.Contains("column incidents.occurred_at timestamp with time zone not null", actual);
        Assert.Contains("column users.created_at timestamp with time zone null default now()", actual);
        Assert.DoesNotContain(actual, l => l.Contains("timestamp without time zone", StringComparison.Ordinal));

        Assert.Contains("index idx_incidents_project_status_occurred CREATE INDEX idx_incidents_project_status_occurred ON public.incidents USING btree (project_id, status, occurred_at DESC, id DESC)", actual);
        Assert.Contains("constraint projects projects_project_number_key UNIQUE (project_number)", actual);
        Assert.Contains("constraint projects projects_project_number_positive CHECK ((project_number > 0))", actual);
        Assert.Contains("index idx_incidents_project_event_id CREATE UNIQUE INDEX idx_incidents_project_event_id ON public.incidents USING btree (project_id, event_id)", actual);
        Assert.Contains("index idx_incidents_project_fingerprint CREATE INDEX idx_incidents_project_fingerprint ON public.incidents USING btree (project_id, fingerprint, occurred_at DESC)", actual);
        Assert.Contains("constraint sessions sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE", actual);
        Assert.DoesNotContain(actual, l => l.StartsWith("column sessions.", StringComparison.Ordinal) && l.Contains("token ", StringComparison.Ordinal) && !l.Contains("hash", StringComparison.Ordinal) && !l.Contains("protected", StringComparison.Ordinal));
    }

    /// <summary>Transcribed from the seed document's CREATE TABLE and CREATE INDEX statements.</summary>
    private static readonly string[] SeedSchema =
    [
        // users
        "column users.id uuid not null default gen_random_uuid()",
        "column users.github_id integer not null",
        "column users.github_login character varying(255) not null",
        "column users.github_email character varying(255) null",
        "column users.avatar_url text null",
        "column users.created_at timestamp without time zone null default now()",
        "column users.updated_at timestamp without time zone null default now()",
        "constraint users users_pkey PRIMARY KEY (id)",
        "constraint users users_github_id_key UNIQUE (github_id)",
        "index users_pkey CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)",
        "index users_github_id_key CREATE UNIQUE INDEX users_github_id_key ON public.users USING btree (github_id)",
        "index idx_users_github_id CREATE INDEX idx_users_github_id ON public.users USING btree (github_id)",

        // projects
        "column projects.id uuid not null default gen_random_uuid()",
        "column projects.project_id character varying(64) not null",
        "column projects.owner_id uuid not null",
        "column projects.repo_owner character varying(255) not null",
        "column projects.repo_name character varying(255) not null",
        "column projects.repo_full_name character varying(512) not null",
        "column projects.platform character varying(50) not null default 'vercel'::character varying",
        "column projects.ingest_api_key character varying(128) not null",
        "column projects.created_at timestamp without time zone null default now()",
        "column projects.updated_at timestamp without time zone null default now()",
        "constraint projects projects_pkey PRIMARY KEY (id)",
        "constraint projects projects_project_id_key UNIQUE (project_id)",
        "constraint projects projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE",
        "constraint projects projects_ingest_api_key_key UNIQUE (ingest_api_key)",
        "constraint projects projects_repo_full_name_key UNIQUE (repo_full_name)",
        "index projects_pkey CREATE UNIQUE INDEX projects_pkey ON public.projects USING btree (id)",
        "index projects_project_id_key CREATE UNIQUE INDEX projects_project_id_key ON public.projects USING btree (project_id)",
        "index projects_ingest_api_key_key CREATE UNIQUE INDEX projects_ingest_api_key_key ON public.projects USING btree (ingest_api_key)",
        "index projects_repo_full_name_key CREATE UNIQUE INDEX projects_repo_full_name_key ON public.projects USING btree (repo_full_name)",
        "index idx_projects_project_id CREATE INDEX idx_projects_project_id ON public.projects USING btree (project_id)",
        "index idx_projects_repo_full_name CREATE INDEX idx_projects_repo_full_name ON public.projects USING btree (repo_full_name)",
        "index idx_projects_owner_id CREATE INDEX idx_projects_owner_id ON public.projects USING btree (owner_id)",
        "index idx_projects_ingest_key CREATE INDEX idx_projects_ingest_key ON public.projects USING btree (ingest_api_key)",

        // incidents
        "column incidents.id uuid not null default gen_random_uuid()",
        "column incidents.incident_id character varying(64) not null",
        "column incidents.project_id uuid not null",
        "column incidents.error_message text not null",
        "column incidents.error_type character varying(255) null",
        "column incidents.stack_trace text null",
        "column incidents.file_path character varying(1024) null",
        "column incidents.line_number integer null",
        "column incidents.column_number integer null",
        "column incidents.commit_sha character varying(40) not null",
        "column incidents.deployment_id character varying(255) null",
        "column incidents.environment character varying(50) not null",
        "column incidents.status character varying(20) not null default 'open'::character varying",
        "column incidents.occurred_at timestamp without time zone not null",
        "column incidents.created_at timestamp without time zone null default now()",
        "column incidents.resolved_at timestamp without time zone null",
        "column incidents.metadata jsonb null",
        "constraint incidents incidents_pkey PRIMARY KEY (id)",
        "constraint incidents incidents_incident_id_key UNIQUE (incident_id)",
        "constraint incidents incidents_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE",
        "index incidents_pkey CREATE UNIQUE INDEX incidents_pkey ON public.incidents USING btree (id)",
        "index incidents_incident_id_key CREATE UNIQUE INDEX incidents_incident_id_key ON public.incidents USING btree (incident_id)",
        "index idx_incidents_incident_id CREATE INDEX idx_incidents_incident_id ON public.incidents USING btree (incident_id)",
        "index idx_incidents_project_id CREATE INDEX idx_incidents_project_id ON public.incidents USING btree (project_id)",
        "index idx_incidents_status CREATE INDEX idx_incidents_status ON public.incidents USING btree (status)",
        "index idx_incidents_occurred_at CREATE INDEX idx_incidents_occurred_at ON public.incidents USING btree (occurred_at DESC)",
        "index idx_incidents_commit_sha CREATE INDEX idx_incidents_commit_sha ON public.incidents USING btree (commit_sha)",

        // api_key_usage
        "column api_key_usage.id uuid not null default gen_random_uuid()",
        "column api_key_usage.project_id uuid not null",
        "column api_key_usage.key_type character varying(50) not null",
        "column api_key_usage.last_used_at timestamp without time zone null default now()",
        "column api_key_usage.usage_count bigint null default 0",
        "constraint api_key_usage api_key_usage_pkey PRIMARY KEY (id)",
        "constraint api_key_usage api_key_usage_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE",
        "constraint api_key_usage api_key_usage_project_id_key_type_key UNIQUE (project_id, key_type)",
        "index api_key_usage_pkey CREATE UNIQUE INDEX api_key_usage_pkey ON public.api_key_usage USING btree (id)",
        "index api_key_usage_project_id_key_type_key CREATE UNIQUE INDEX api_key_usage_project_id_key_type_key ON public.api_key_usage USING btree (project_id, key_type)",
        "index idx_api_key_usage_project_id CREATE INDEX idx_api_key_usage_project_id ON public.api_key_usage USING btree (project_id)",
    ];
}
