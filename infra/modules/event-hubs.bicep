// Event Hubs namespace (Standard: the Kafka endpoint needs Standard or above) with the hub the summaries go to.
// The app publishes over the Kafka endpoint with an Entra token (OAUTHBEARER); SAS keys are disabled.
param location string
param tags object
param namespaceName string
param hubName string
param partitionCount int
param schemaGroupName string

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: 7
  }
}

// The schema registry group of the summary contracts' JSON Schemas (`tributary contracts register`), one schema per
// topic whose versions are the contract's. Compatibility is judged by `tributary contracts check` before anything is
// registered, with Tributary's rules; the group adds no rule of its own.
resource contractSchemas 'Microsoft.EventHub/namespaces/schemagroups@2024-01-01' = {
  parent: namespace
  name: schemaGroupName
  properties: {
    schemaCompatibility: 'None'
    schemaType: 'Json'
  }
}

output namespaceName string = namespace.name
output schemaGroupName string = contractSchemas.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
