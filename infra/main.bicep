// Tributary sample bank on Azure: Cosmos DB (event store, leases, views, dead letters), Event Hubs (statement-line
// summaries over the Kafka endpoint), and the Functions app on Flex Consumption. Deployed by `azd up` (azure.yaml).
// Everything authenticates with the Function App's system-assigned identity; keys are disabled on every service.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (must offer Flex Consumption).')
param location string

@description('Object id of the user running azd: granted data access too, so that the CLI works against the account.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of principal principalId is: a user (azd on a laptop) or a service principal (azd in CI).')
param principalType string = 'User'

@allowed(['serverless', 'provisioned'])
@description('Cosmos DB capacity mode: serverless (pay per request, the default) or provisioned autoscale throughput.')
param cosmosCapacityMode string = 'serverless'

@minValue(1000)
@description('Autoscale maximum RU/s shared by the database when cosmosCapacityMode is provisioned.')
param cosmosAutoscaleMaxThroughput int = 1000

@description('Name of the Cosmos DB database.')
param cosmosDatabaseName string = 'tributary'

@description('Event hub (= Kafka topic) the statement-line summaries are published to.')
param statementLinesHubName string = 'statement-lines'

@minValue(1)
@maxValue(32)
@description('Partitions of the statement-lines hub; summaries are keyed by stream, so order holds per account.')
param statementLinesPartitionCount int = 4

@description('Schema registry group of the Event Hubs namespace that holds the JSON Schemas of the summary contracts.')
param contractSchemaGroupName string = 'tributary-contracts'

@description('Blob container of the event archive (archiver, pruner, replay from the archive).')
param archiveContainerName string = 'archive'

@description('Most instances the Flex Consumption app scales out to.')
param maximumInstanceCount int = 40

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${token}'
    applicationInsightsName: 'appi-${token}'
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: group
  params: {
    location: location
    tags: tags
    accountName: 'cosmos-${token}'
    databaseName: cosmosDatabaseName
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

module eventHubs 'modules/event-hubs.bicep' = {
  name: 'event-hubs'
  scope: group
  params: {
    location: location
    tags: tags
    namespaceName: 'evhns-${token}'
    hubName: statementLinesHubName
    partitionCount: statementLinesPartitionCount
    schemaGroupName: contractSchemaGroupName
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: group
  params: {
    location: location
    tags: tags
    appName: 'func-${token}'
    planName: 'plan-${token}'
    storageAccountName: 'st${token}'
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
  }
}

module access 'modules/data-access.bicep' = {
  name: 'data-access'
  scope: group
  params: {
    appPrincipalId: functionApp.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
    cosmosAccountName: cosmos.outputs.accountName
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    storageAccountName: functionApp.outputs.storageAccountName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module archive 'modules/archive-storage.bicep' = {
  name: 'archive-storage'
  scope: group
  params: {
    location: location
    tags: tags
    accountName: 'starch${token}'
    containerName: archiveContainerName
    appPrincipalId: functionApp.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.appName
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmosDatabaseName
output EVENTHUBS_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output EVENTHUBS_SCHEMA_GROUP string = eventHubs.outputs.schemaGroupName
output TRIBUTARY_ARCHIVE_URL string = archive.outputs.blobEndpoint
output TRIBUTARY_ARCHIVE_CONTAINER string = archive.outputs.containerName
