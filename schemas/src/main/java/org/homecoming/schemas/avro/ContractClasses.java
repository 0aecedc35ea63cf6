package org.homecoming.schemas.avro;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 only instantiates classes it trusts when it resolves a schema's record name to a class.
 * The contract's generated classes are trusted here, once, alongside whatever the application already
 * trusts; nothing else is added. The serdes do this themselves; code that copies contract records before
 * any serde exists (test generators) calls {@link #trust()}.
 */
public final class ContractClasses {

    /** Package of the classes generated from the contract's schemas. */
    static final String PACKAGE = "org.homecoming.events";

    private static boolean trusted;

    private ContractClasses() {
    }

    /** Trusts the contract's generated classes; idempotent. */
    public static synchronized void trust() {
        if (trusted) {
            return;
        }
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityPredicate contract = type -> PACKAGE.equals(type.getPackageName());
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current, contract));
        trusted = true;
    }
}
