enum OrchestratorPlaceholder {}
