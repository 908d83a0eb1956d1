namespace Faultline.Testing;

/// <summary>The checkout's root: the folder holding Faultline.slnx, found above the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Faultline.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Faultline.slnx was not found above " + AppContext.BaseDirectory);
    }
}
