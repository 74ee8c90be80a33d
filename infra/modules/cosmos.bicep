// Cosmos DB for NoSQL: the account, the database, and Tributary's four containers. The containers are created here
// (control plane) because with local auth disabled the app's data-plane role cannot create them.
// Partition keys and index policies match `ensureContainers` in src/store (test/unit/app/infra-agreement.test.ts).
param location string
param tags object
param accountName string
param databaseName string
@allowed(['serverless', 'provisioned'])
param capacityMode string
param autoscaleMaxThroughput int

var serverless = capacityMode == 'serverless'

// Index policies: Cosmos indexes every path by default, which costs RU on every write. The events container indexes
// only what the store queries (i, n, p; event bodies never). Leases (a handful of small documents, also read by the
// Functions trigger), views and dead letters keep the default, so that applications can query views freely.
var containers = [
  {
    name: 'events'
    partitionKeyPath: '/p'
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [{ path: '/i/?' }, { path: '/n/?' }, { path: '/p/?' }]
      excludedPaths: [{ path: '/*' }]
    }
  }
  {
    name: 'leases'
    partitionKeyPath: '/id'
    indexingPolicy: { indexingMode: 'consistent', automatic: true }
  }
  {
    name: 'views'
    partitionKeyPath: '/id'
    indexingPolicy: { indexingMode: 'consistent', automatic: true }
  }
  {
    name: 'dead-letters'
    partitionKeyPath: '/id'
    indexingPolicy: { indexingMode: 'consistent', automatic: true }
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    // Entra ID (managed identity) only: no account keys, no key-based metadata writes.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
    // Serverless accounts take no throughput settings; provisioned ones share autoscale RU/s across the containers.
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for definition in containers: {
    parent: database
    name: definition.name
    properties: {
      resource: {
        id: definition.name
        partitionKey: { paths: [definition.partitionKeyPath], kind: 'Hash', version: 2 }
        indexingPolicy: definition.indexingPolicy
      }
    }
  }
]

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
