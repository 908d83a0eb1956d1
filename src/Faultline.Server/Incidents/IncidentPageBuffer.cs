using System.Buffers;
using System.Data.Common;

namespace Faultline.Server.Incidents;

/// <summary>
/// A page of incidents as PostgreSQL sent it: each text column's UTF-8 bytes copied into one pooled
/// buffer (no string per column: a page holds 50 stack traces, and decoding them to UTF-16 only to
/// encode them again as JSON was most of what the server did per page), the rest in typed fields.
/// Reads either the full select list (<see cref="IncidentRow.ListColumns"/>) or the narrow one
/// (<see cref="IncidentRow.VersionColumns"/>); a field the select list lacks reads as null.
/// Returns its buffer to the pool when disposed.
/// </summary>
internal sealed class IncidentPageBuffer : IDisposable
{
    public const int IncidentId = 0;
    public const int ProjectId = 1;
    public const int ErrorMessage = 2;
    public const int ErrorType = 3;
    public const int StackTrace = 4;
    public const int FilePath = 5;
    public const int CommitSha = 6;
    public const int DeploymentId = 7;
    public const int Environment = 8;
    public const int Status = 9;
    public const int Fingerprint = 10;
    public const int Metadata = 11;

    /// <summary>The text columns by the field numbers above, as <see cref="IncidentRow"/> names them.</summary>
    private static readonly string[] TextColumns =
        ["IncidentId", "ProjectId", "ErrorMessage", "ErrorType", "StackTrace", "FilePath", "CommitSha", "DeploymentId", "Environment", "Status", "Fingerprint", "Metadata"];

    private readonly List<Row> rows = [];
    private readonly List<(int Start, int Length)> texts = [];
    private (int Start, int Length) projectId;
    private byte[] bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int length;

    private IncidentPageBuffer()
    {
    }

    /// <summary>An incident's fields other than text; its texts are <see cref="Text"/>(row, field).</summary>
    internal readonly record struct Row(Guid Id, DateTime OccurredAt, DateTime? CreatedAt, DateTime? ResolvedAt, int? LineNumber, int? ColumnNumber);

    public int Count => rows.Count;

    public Row this[int index] => rows[index];

    /// <summary>
    /// Reads a list batch (<see cref="IncidentQueries.ListBatch"/>): null when its first statement
    /// found no project (the repository is not the caller's); else the second statement's rows, each
    /// with the project's public id from the first.
    /// </summary>
    public static async Task<IncidentPageBuffer?> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var page = new IncidentPageBuffer();
        try
        {
            page.projectId = page.CopyText(reader, 1);
            await reader.NextResultAsync(cancellationToken);

            var textOrdinals = new int[TextColumns.Length];
            for (var field = 0; field < TextColumns.Length; field++)
            {
                textOrdinals[field] = field == ProjectId ? -1 : Ordinal(reader, TextColumns[field]);
            }

            var (id, occurredAt, createdAt, resolvedAt, lineNumber, columnNumber) = (Ordinal(reader, "Id"), Ordinal(reader, "OccurredAt"),
                Ordinal(reader, "CreatedAt"), Ordinal(reader, "ResolvedAt"), Ordinal(reader, "LineNumber"), Ordinal(reader, "ColumnNumber"));
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var field = 0; field < textOrdinals.Length; field++)
                {
                    page.texts.Add(field == ProjectId ? page.projectId : page.CopyText(reader, textOrdinals[field]));
                }

                page.rows.Add(new Row(
                    reader.GetGuid(id),
                    reader.GetFieldValue<DateTime>(occurredAt),
                    Nullable<DateTime>(reader, createdAt),
                    Nullable<DateTime>(reader, resolvedAt),
                    Nullable<int>(reader, lineNumber),
                    Nullable<int>(reader, columnNumber)));
            }

            return page;
        }
        catch
        {
            page.Dispose();
            throw;
        }
    }

    /// <summary>The field's UTF-8 bytes; <paramref name="isNull"/> when the column is NULL or not selected.</summary>
    public ReadOnlySpan<byte> Text(int row, int field, out bool isNull)
    {
        var (start, textLength) = texts[(row * TextColumns.Length) + field];
        isNull = textLength < 0;
        return isNull ? default : bytes.AsSpan(start, textLength);
    }

    public void Dispose()
    {
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
            bytes = [];
        }
    }

    /// <summary>Copies the column's UTF-8 bytes into the buffer and says where they are; length -1 for NULL or not selected.</summary>
    private (int Start, int Length) CopyText(DbDataReader reader, int ordinal)
    {
        if (ordinal < 0 || reader.IsDBNull(ordinal))
        {
            return (0, -1);
        }

        // Text columns read as bytes are their UTF-8 encoding (the database is UTF8).
        var size = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length + size > bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length * 2, length + size));
            bytes.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(bytes);
            bytes = larger;
        }

        var read = (int)reader.GetBytes(ordinal, 0, bytes, length, size);
        length += read;
        return (length - read, read);
    }

    private static T? Nullable<T>(DbDataReader reader, int ordinal)
        where T : struct =>
        ordinal < 0 || reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static int Ordinal(DbDataReader reader, string name)
    {
        for (var ordinal = 0; ordinal < reader.FieldCount; ordinal++)
        {
            if (string.Equals(reader.GetName(ordinal), name, StringComparison.OrdinalIgnoreCase))
            {
                return ordinal;
            }
        }

        return -1;
    }
}
