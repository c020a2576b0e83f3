import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension NetworkError {
    /// Runs `bind`, turning its failure into ``Code/cannotListen`` with one line that names
    /// the problem: "port 7420 is in use", "port 80 needs privileges", never `errno: 98`.
    static func listening<T>(host: String, port: Int, _ bind: () async throws -> T) async throws -> T {
        do {
            return try await bind()
        } catch let error as IOError {
            throw cannotListen(host: host, port: port, errno: error.errnoCode)
        } catch is SocketAddressError {
            throw NetworkError(.cannotListen, "cannot listen on \(host):\(port): \(host) is not a known host")
        } catch is SocketAddressError.UnknownHost {
            throw NetworkError(.cannotListen, "cannot listen on \(host):\(port): \(host) is not a known host")
        }
    }

    /// The words for a failed bind with POSIX error `errno`.
    static func cannotListen(host: String, port: Int, errno code: Int32) -> NetworkError {
        let reason: String
        switch code {
        case EADDRINUSE:
            reason = "port \(port) is in use: another program listens on it (choose another port: --listen HOST:PORT)"
        case EACCES, EPERM:
            reason =
                "port \(port) needs privileges: ports below 1024 are for the administrator (choose one of 1024 or more: --listen HOST:PORT)"
        case EADDRNOTAVAIL:
            reason = "cannot listen on \(host):\(port): \(host) is not an address of this machine"
        default:
            reason = "cannot listen on \(host):\(port): \(String(cString: strerror(code)).lowercased())"
        }
        return NetworkError(.cannotListen, reason)
    }
}
