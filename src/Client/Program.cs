return await SweepRunner.Client.Cli.SweepRunnerCli.RunConsoleAsync(args);
