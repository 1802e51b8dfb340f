return await LLMDistill.Cli.CliApp.RunAsync(args);
