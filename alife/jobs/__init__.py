"""Jobs: the one headless driver (`loop.run_job`) for anything with the Trainer protocol, used by
`alife train`, `alife evolve` and `alife run` (`run.RunJob`); the app's background-thread job
(`job.TrainingJob`); metric logs and plots (`logs`)."""
