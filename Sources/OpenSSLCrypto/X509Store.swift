internal import COpenSSL
internal import COpenSSLShims
import FoundationEssentials

/// Owns an `X509_STORE` of trust anchors with a fixed validation time.
final class X509Store {
    let store: OpaquePointer

    init(roots: [Certificate], at time: Date) throws {
        guard let store = X509_STORE_new() else { throw OpenSSLError("X509_STORE_new") }
        self.store = store
        for root in roots {
            guard X509_STORE_add_cert(store, root.x509) == 1 else { throw OpenSSLError("X509_STORE_add_cert(\(root.subject))") }
        }
        guard let param = X509_STORE_get0_param(store) else { throw OpenSSLError("X509_STORE_get0_param") }
        X509_VERIFY_PARAM_set_time(param, time_t(time.timeIntervalSince1970.rounded(.down)))
    }

    deinit { X509_STORE_free(store) }
}

/// Owns a borrowed-reference `STACK_OF(X509)`: the stack is freed, the certificates are not;
/// it keeps the `Certificate` objects alive for as long as the stack exists.
final class X509BorrowedStack {
    let stack: OpaquePointer
    private let certificates: [Certificate]

    init(_ certificates: [Certificate]) throws {
        guard let stack = shim_sk_X509_new_null() else { throw OpenSSLError("sk_X509_new_null") }
        self.stack = stack
        self.certificates = certificates
        for cert in certificates {
            guard shim_sk_X509_push(stack, cert.x509) > 0 else { throw OpenSSLError("sk_X509_push") }
        }
    }

    deinit { shim_sk_X509_free(stack) }
}

/// Owns an `X509_STORE_CTX` initialised for one leaf; keeps the store, stack and
/// certificates it points into alive until after the context is freed.
final class X509StoreContext {
    let context: OpaquePointer
    private let retained: (X509Store, X509BorrowedStack, Certificate)

    init(store: X509Store, leaf: Certificate, untrusted: X509BorrowedStack) throws {
        guard let context = X509_STORE_CTX_new() else { throw OpenSSLError("X509_STORE_CTX_new") }
        self.context = context
        self.retained = (store, untrusted, leaf)
        guard X509_STORE_CTX_init(context, store.store, leaf.x509, untrusted.stack) == 1 else { throw OpenSSLError("X509_STORE_CTX_init") }
    }

    deinit { X509_STORE_CTX_free(context) }
}
