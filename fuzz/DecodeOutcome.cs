namespace StateMachineMqtt.Fuzz;

/// <summary>What a decoder made of one input: how many packets it decoded, and whether it then refused the rest.</summary>
/// <param name="Packets">Packets decoded before the input ended or was refused.</param>
/// <param name="Refused">True when the decoder threw its protocol exception.</param>
public readonly record struct DecodeOutcome(int Packets, bool Refused);
