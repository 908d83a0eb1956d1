namespace Faultline.Cli;

/// <summary>API.md "The faultline command": 0 ok, 1 failure, 2 usage error, 3 not signed in.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotSignedIn = 3;
}
