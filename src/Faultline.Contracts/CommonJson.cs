using System.Text.Json.Serialization;

namespace Faultline.Contracts;

[JsonSerializable(typeof(Problem))]
public sealed partial class FaultlineJsonContext;
