using System.Text;
using Npgsql;

namespace Faultline.Testing;

/// <summary>
/// The public schema read from PostgreSQL's catalog as sorted text lines: columns with type,
/// nullability and default, constraints with their definitions, indexes with theirs, sequences,
/// functions, triggers and columns' own statistics targets.
/// Two databases with equal snapshots have the same schema.
/// </summary>
public static class SchemaSnapshot
{
    private const string Sql = """
        SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.data_type
               || COALESCE('(' || c.character_maximum_length || ')', '')
               || CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE ' null' END
               || COALESCE(' default ' || c.column_default, '')
        FROM information_schema.columns c
        WHERE c.table_schema = 'public'
        UNION ALL
        SELECT 'constraint ' || t.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
        FROM pg_constraint co JOIN pg_class t ON t.oid = co.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'index ' || i.indexname || ' ' || i.indexdef
        FROM pg_indexes i WHERE i.schemaname = 'public'
        UNION ALL
        SELECT 'sequence ' || s.sequence_name || ' ' || s.data_type || ' start ' || s.start_value
        FROM information_schema.sequences s WHERE s.sequence_schema = 'public'
        UNION ALL
        SELECT 'function ' || p.proname || ' ' || md5(pg_get_functiondef(p.oid))
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'statistics ' || c.relname || '.' || a.attname || ' ' || a.attstattarget
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget >= 0
        UNION ALL
        SELECT 'trigger ' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT t.tgisinternal
        ORDER BY 1
        """;

    public static async Task<IReadOnlyList<string>> ReadAsync(string connectionString, bool includeHistory = false)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            var line = reader.GetString(0);
            if (includeHistory || !line.Contains("schema_migrations", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    public static string Format(IEnumerable<string> lines) => new StringBuilder().AppendJoin('\n', lines).ToString();
}
