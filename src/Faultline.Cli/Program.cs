using Faultline.Cli;

return await CliApp.RunAsync(args, CliContext.FromProcess());
