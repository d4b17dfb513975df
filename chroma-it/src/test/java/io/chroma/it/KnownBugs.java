package io.chroma.it;

import java.util.Map;

/**
 * Contract scenarios our implementation fails today, per target, with the bug (request, expected,
 * got). Found by the shared suite; reported to the lead; the owning module fixes them, then the
 * entry goes. The suite skips these with the description, so they show up in every report.
 */
final class KnownBugs {
    private KnownBugs() {
    }

    private static final String CREATE_IN_MISSING_DATABASE = "createCollection in a database that does not exist "
            + "(POST /api/v2/tenants/default_tenant/databases/<missing>/collections {\"name\":\"abcdef\"}): ours "
            + "NotFoundException / 404 \"Database <missing> not found for tenant default_tenant\"; real Chroma 1.x "
            + "400 InvalidArgumentError \"Database [<missing>] does not exist\" (InvalidArgumentException)";

    /** The in-process engine (chroma-core), as EphemeralClient and PersistentClient. */
    static final Map<String, String> EMBEDDED = Map.of(
            "creatingACollectionInAMissingDatabaseIsInvalid", "chroma-core: " + CREATE_IN_MISSING_DATABASE,
            "listingTheCollectionsOfAMissingDatabaseGivesNone",
            "chroma-core: listCollections() / countCollections() of a client bound to a database that does not "
                    + "exist throw NotFoundException \"Database <name> not found for tenant default_tenant\"; "
                    + "real Chroma 1.x and our server answer [] and 0",
            "listingTheDatabasesOfAnUnknownTenantGivesNone",
            "chroma-core Engine.listDatabases(unknownTenant, null, null) throws NotFoundException "
                    + "\"Tenant <name> not found\"; real Chroma 1.x and our server (V2Controller wraps it in orEmpty) "
                    + "answer an empty list",
            "deleteWithAnEmptyIdListIsInvalid",
            "chroma-core: collection.delete(Delete.ids(List.of())) (no where, no where_document) deletes nothing and "
                    + "returns 0; real Chroma 1.x and our server (a special case in V2Controller.delete) refuse it with "
                    + "InvalidArgumentException / 400 \"Either ids or where must be specified\"");

    /** Our server (chroma-server) through the HTTP client. */
    static final Map<String, String> OUR_SERVER = Map.of(
            "creatingACollectionInAMissingDatabaseIsInvalid", "chroma-server: " + CREATE_IN_MISSING_DATABASE);
}
