using System.Security.Cryptography;
using System.Text;

namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>
/// Lines of a Mosquitto 2.0 password_file, made without mosquitto_passwd: <c>user:$7$ITERATIONS$SALT$HASH</c>, the hash being
/// PBKDF2-HMAC-SHA512 (64 bytes) of the password over a 12-byte salt, both base64, as mosquitto_passwd writes them.
/// </summary>
public static class MosquittoPasswordFile
{
    private const int Iterations = 101;

    /// <summary>One line for <paramref name="user"/> with <paramref name="password"/>.</summary>
    public static string Line(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        byte[] salt = RandomNumberGenerator.GetBytes(12);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, 64);
        return $"{user}:$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }
}
