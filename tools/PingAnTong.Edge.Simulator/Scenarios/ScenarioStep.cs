namespace PingAnTong.Edge.Simulator.Scenarios;

/// <summary>One line of a scenario: at a virtual time, an action or an expectation.</summary>
public sealed record ScenarioStep(int Line, long AtMs, string Verb, string[] Args, long WithinMs, string Text);
